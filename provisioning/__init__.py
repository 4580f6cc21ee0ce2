"""Device enrollment, credentials, certificates, systemd units and inventory for IT staff."""
