# The texts of the client-area and admin-area pages (it); every id starts with "page-".
