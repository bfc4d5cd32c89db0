# Words several places use (ar).

# The quota of an account without a limit.
common-unlimited = غير محدود
# A count of days; $count picks the plural form.
common-days = { $count ->
        [zero] لا أيام
        [one] يوم واحد
        [two] يومان
        [few] { $count } أيام
        [many] { $count } يومًا
       *[other] { $count } يوم
    }
# A whole percentage; $value is the number.
common-percent = { $value }٪
# A size in a unit ("1.50 GB"); $value is a decimal, $unit a symbol such as GB.
common-size = { $value } { $unit }
