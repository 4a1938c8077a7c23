"""The population register: reading files in any encoding, validating rows, importing them."""
