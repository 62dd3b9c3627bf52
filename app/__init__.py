"""CareBinder: an offline, encrypted records binder for patients and caregivers."""

__version__ = "0.1.0"
APP_NAME = "CareBinder"
APP_ID = "org.carebinder.CareBinder"
