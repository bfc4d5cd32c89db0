# The texts of the client-area and admin-area pages (ca); every id starts with "page-".
