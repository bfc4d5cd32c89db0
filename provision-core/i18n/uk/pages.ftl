# The texts of the client-area and admin-area pages (uk); every id starts with "page-".
