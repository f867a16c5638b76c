"""Who may do what, and what is kept secret: accounts and roles, permissions, the data key and the
encryption of identity fields, the confidentiality of a denouncer, the hash-chained audit trail.

May import ``common`` only."""
