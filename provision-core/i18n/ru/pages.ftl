# The texts of the client-area and admin-area pages (ru); every id starts with "page-".
