# The texts of the client-area and admin-area pages (et); every id starts with "page-".
