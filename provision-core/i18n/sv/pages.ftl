# The texts of the client-area and admin-area pages (sv); every id starts with "page-".
