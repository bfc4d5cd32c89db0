# The texts of the client-area and admin-area pages (nl); every id starts with "page-".
