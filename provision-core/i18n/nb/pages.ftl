# The texts of the client-area and admin-area pages (nb); every id starts with "page-".
