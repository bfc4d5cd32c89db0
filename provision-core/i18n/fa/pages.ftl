# The texts of the client-area and admin-area pages (fa, فارسی); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = کپی
page-copied = کپی شد
page-yes = بله
page-no = خیر
page-back = بازگشت
page-not-measured = هنوز اندازه‌گیری نشده
page-unlimited = نامحدود
page-limit = سقف
page-used = مصرف‌شده
page-free = آزاد
page-used-percent = مصرف‌شده ٪
page-free-percent = آزاد ٪
page-username = نام کاربری
page-status = وضعیت
page-client-title = فضای ذخیره‌سازی شما
page-access = دسترسی
page-web-address = رابط وب
page-password = گذرواژه
page-password-show = نمایش گذرواژه
page-password-elsewhere = فقط در ناحیهٔ مشتری شما نمایش داده می‌شود.
page-instructions = راهنما
page-space = فضای دیسک
page-pie-title = فضای مصرف‌شده و آزاد
page-pie-desc = { $used } از { $limit } مصرف شده ({ $percent })؛ { $free } آزاد است.
page-buckets = باکت‌ها
page-bucket = باکت
page-bucket-size = اندازه
page-bucket-objects = اشیا
page-no-buckets = هنوز باکتی وجود ندارد.
page-buckets-note = اندازه‌ها بر اساس آخرین اندازه‌گیری سرور است.
page-statistics = آمار فضای مصرف‌شده
page-time-zone = روزها و ماه‌ها در منطقهٔ زمانی { $zone }.
page-daily-title = { $days ->
    [one] مصرف روزانه، { $days } روز گذشته
   *[other] مصرف روزانه، { $days } روز گذشته
}
page-daily-desc = { $count ->
    [one] بیشترین مصرف هر روز، به { $unit }؛ { $count } روز داده دارد.
   *[other] بیشترین مصرف هر روز، به { $unit }؛ { $count } روز داده دارند.
}
page-monthly-title = میانگین مصرف ماهانه
page-monthly-desc = { $count ->
    [one] میانگین مصرف هر ماه، به { $unit }؛ { $count } ماه.
   *[other] میانگین مصرف هر ماه، به { $unit }؛ { $count } ماه.
}
page-no-data = هنوز هیچ مصرفی ثبت نشده است.
page-show-numbers = نمایش اعداد
page-day = روز
page-month = ماه
page-average = میانگین
page-admin-title = حساب ذخیره‌سازی
page-connection = اتصال API
page-connection-ok = به { $server } متصل است.
page-connection-failed = متصل نیست: { $error }
page-account = حساب
page-enabled = فعال
page-product = محصول
page-group = گروه
page-email = ایمیل
page-limit-policy = سیاست سقف
page-limit-policy-usage = بر اساس مصرف
page-limit-policy-standard = استاندارد (تعیین‌شده توسط مدیر)
page-limit-policy-limited = محدود (تعیین‌شده توسط مدیر)
page-disk-usage = مصرف دیسک
page-actions = عملیات
page-no-actions = در این وضعیت هیچ عملیاتی ممکن نیست.
page-status-creating = در حال ایجاد
page-status-active = فعال
page-status-suspended = معلق
page-status-terminating = در حال خاتمه
page-status-terminated = خاتمه‌یافته
page-status-failed = ایجاد ناموفق بود
page-action-suspend = تعلیق
page-action-unsuspend = رفع تعلیق
page-action-terminate = خاتمه
page-action-change-password = تغییر گذرواژه
page-action-change-plan = تغییر بسته
page-action-update-policy = به‌روزرسانی سیاست
page-action-set-standard-policy = اعمال سیاست استاندارد
page-action-set-limited-policy = اعمال سیاست محدود
page-new-product = بستهٔ جدید
page-confirm-terminate = بله، حساب و داده‌هایش حذف شود
page-action-done = انجام شد: { $action }.
page-action-failed = عملیات ناموفق بود: { $error }
page-new-password = گذرواژهٔ جدید (یک بار نمایش داده می‌شود):
page-refused-title = این صفحه قابل نمایش نیست
page-error-title = اکنون نمی‌توان صفحه را نمایش داد
page-refused-invalid = پیوند معتبر نیست. صفحه را دوباره از ناحیهٔ مشتری باز کنید.
page-refused-expired = پیوند منقضی شده است. صفحه را دوباره از ناحیهٔ مشتری باز کنید.
page-refused-wrong-service = این پیوند برای سرویس دیگری ساخته شده است.
page-refused-wrong-role = این پیوند برای صفحهٔ دیگری ساخته شده است.
page-refused-not-found = چنین صفحه‌ای وجود ندارد.
page-refused-not-configured = صفحه‌ها روی این سرور راه‌اندازی نشده‌اند.
page-refused-cross-site = درخواست از سایت دیگری آمد و رد شد.
page-refused-action = این عملیات اکنون برای سرویس ممکن نیست.
