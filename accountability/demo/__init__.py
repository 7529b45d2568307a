"""The demo and the test personas: the top layer, which may use every app.

`accountability seed_demo` (management/commands/seed_demo.py) loads a plausible county
commission (registry.py), a year of its cases (cases.py) and their paperwork (documents.py);
`accountability demo-otp USERNAME` prints a demo account's current code. testing.py holds the
named personas every app's tests build their data on.
"""
