# The texts of the client-area and admin-area pages (he); every id starts with "page-".
