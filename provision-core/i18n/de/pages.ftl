# The texts of the client-area and admin-area pages (de); every id starts with "page-".
