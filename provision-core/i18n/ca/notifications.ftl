# The texts of the default notifications (subject and body) (ca); every id starts with "notification-".
