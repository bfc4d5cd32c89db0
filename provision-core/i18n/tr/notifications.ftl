# The texts of the default notifications (subject and body) (tr); every id starts with "notification-".
