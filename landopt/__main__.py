"""`python -m landopt` runs the command line."""

from landopt.cli import main

main()
