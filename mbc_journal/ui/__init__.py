"""The PySide6 face of the app. Only this package imports Qt."""
