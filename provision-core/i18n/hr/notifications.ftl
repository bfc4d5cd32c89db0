# The texts of the default notifications (subject and body) (hr); every id starts with "notification-".
