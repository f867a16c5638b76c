"""The follow-up board (Theo dõi): open legal steps by due date, per officer or per body."""
