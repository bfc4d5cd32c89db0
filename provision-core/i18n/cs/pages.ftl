# The texts of the client-area and admin-area pages (cs); every id starts with "page-".
