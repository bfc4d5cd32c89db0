# Words several places use (et).

# The quota of an account without a limit.
common-unlimited = Piiramatu
# A count of days; $count picks the plural form.
common-days = { $count ->
        [one] { $count } päev
       *[other] { $count } päeva
    }
# A whole percentage; $value is the number.
common-percent = { $value }%
# A size in a unit ("1.50 GB"); $value is a decimal, $unit a symbol such as GB.
common-size = { $value } { $unit }
