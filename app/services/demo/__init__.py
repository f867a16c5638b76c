"""Demo data: a realistic office history (visits, petitions, actions, clocks) for trying the
program and for measuring it at volume.

May import every domain package below it; nothing imports the demo but the command line,
the tests and the benchmarks."""
