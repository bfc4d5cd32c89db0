# The texts of the client-area and admin-area pages (hu); every id starts with "page-".
