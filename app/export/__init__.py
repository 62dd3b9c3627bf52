"""What leaves the binder: calendars, and (to come) the bundle and summary sheets. No Qt."""
