# The texts of the client-area and admin-area pages (fa); every id starts with "page-".
