"""The demo station: a synthetic commune, its accounts and a few days of enrollments."""
