"""Sổ mật mode: denouncers' identities kept on a standalone workstation, references on the networked desks.

- ``security.secret_references``: the opaque reference and the text shown in its place ("Danh tính lưu
  tại sổ mật"), kept low so that printing and every list can recognise it.
- ``package``: the sealed, encrypted package files carried on removable media between the two sides.
- ``networked``: the networked side: pairing, the export that wipes identities, the acknowledgement import.
- ``store``: the confidential workstation: its own encrypted SQLite store, import, export of acknowledgements.
- ``printing``: documents that need the identity, printed on the confidential workstation.
"""
