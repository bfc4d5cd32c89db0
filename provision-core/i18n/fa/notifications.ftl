# The texts of the default notifications (subject and body) (fa); every id starts with "notification-".

notification-near-limit-subject = فضای ذخیره‌سازی { $product } شما { $percent }٪ پر شده است
notification-near-limit-body =
    { $client_name } گرامی،

    حساب ذخیره‌سازی شما { $username } ({ $product }) اکنون { $used } { $unit } از { $limit } { $unit } را استفاده می‌کند ({ $percent }٪). { $free } { $unit } فضای خالی باقی مانده است.

    وقتی حساب از سقف خود فراتر رود، تا حذف شدن فایل‌های کافی محدود می‌شود. برای ادامهٔ کار بدون وقفه، فضا آزاد کنید یا به بستهٔ بزرگ‌تری ارتقا دهید.

notification-suspended-subject = فضای ذخیره‌سازی { $product } شما از سقف خود فراتر رفته است
notification-suspended-body =
    { $client_name } گرامی،

    حساب ذخیره‌سازی شما { $username } ({ $product }) { $used } { $unit } داده دارد که بیش از سقف { $limit } { $unit } آن است ({ $percent }٪ استفاده شده). حساب محدود شده است.

    محدودیت به‌محض اینکه حساب دوباره زیر سقف خود برگردد، خودکار برداشته می‌شود: فایل‌هایی را که دیگر لازم ندارید حذف کنید یا به بستهٔ بزرگ‌تری ارتقا دهید.
