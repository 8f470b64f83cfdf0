"""Devices at the counters: ESC/POS encoding, the emulated USB backend, agent tokens, print
delivery, scans, device health and the ``motcua agent`` process (docs/devices.md)."""
