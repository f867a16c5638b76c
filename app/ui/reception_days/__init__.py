"""The "Lịch tiếp" section: leaders' reception days, bookings, holding the day, the printed agenda."""
