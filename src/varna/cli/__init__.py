"""The ``varna`` command: a thin shell over :class:`varna.core.Varna`."""
