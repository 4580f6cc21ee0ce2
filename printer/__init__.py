"""Receipt printing: pure layouts, python-escpos transports and a virtual printer."""
