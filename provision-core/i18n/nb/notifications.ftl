# The texts of the default notifications (subject and body) (nb); every id starts with "notification-".
