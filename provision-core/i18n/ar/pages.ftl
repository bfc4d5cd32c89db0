# The texts of the client-area and admin-area pages (ar, العربية); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = نسخ
page-copied = تم النسخ
page-yes = نعم
page-no = لا
page-back = رجوع
page-not-measured = لم يُقَس بعد
page-unlimited = غير محدود
page-limit = الحد
page-used = المستخدم
page-free = المتاح
page-used-percent = المستخدم %
page-free-percent = المتاح %
page-username = اسم المستخدم
page-status = الحالة
page-client-title = مساحة التخزين الخاصة بك
page-access = الوصول
page-web-address = واجهة الويب
page-password = كلمة المرور
page-password-show = إظهار كلمة المرور
page-password-elsewhere = تظهر في منطقة العميل الخاصة بك فقط.
page-instructions = التعليمات
page-space = مساحة القرص
page-pie-title = المساحة المستخدمة والمتاحة
page-pie-desc = استُخدم { $used } من { $limit } ({ $percent })؛ المتاح { $free }.
page-buckets = الحاويات
page-bucket = الحاوية
page-bucket-size = الحجم
page-bucket-objects = الكائنات
page-no-buckets = لا توجد حاويات بعد.
page-buckets-note = الأحجام حسب آخر قياس للخادم.
page-statistics = إحصاءات المساحة المستخدمة
page-time-zone = الأيام والأشهر بتوقيت { $zone }.
page-daily-title = { $days ->
    [zero] الاستخدام اليومي
    [one] الاستخدام اليومي، آخر يوم
    [two] الاستخدام اليومي، آخر يومين
    [few] الاستخدام اليومي، آخر { $days } أيام
    [many] الاستخدام اليومي، آخر { $days } يومًا
   *[other] الاستخدام اليومي، آخر { $days } يوم
}
page-daily-desc = { $count ->
    [zero] أعلى استخدام في كل يوم، بوحدة { $unit }؛ لا توجد بيانات لأي يوم.
    [one] أعلى استخدام في كل يوم، بوحدة { $unit }؛ توجد بيانات ليوم واحد.
    [two] أعلى استخدام في كل يوم، بوحدة { $unit }؛ توجد بيانات ليومين.
    [few] أعلى استخدام في كل يوم، بوحدة { $unit }؛ توجد بيانات لـ { $count } أيام.
    [many] أعلى استخدام في كل يوم، بوحدة { $unit }؛ توجد بيانات لـ { $count } يومًا.
   *[other] أعلى استخدام في كل يوم، بوحدة { $unit }؛ توجد بيانات لـ { $count } يوم.
}
page-monthly-title = متوسط الاستخدام الشهري
page-monthly-desc = { $count ->
    [zero] متوسط استخدام كل شهر، بوحدة { $unit }؛ لا أشهر.
    [one] متوسط استخدام كل شهر، بوحدة { $unit }؛ شهر واحد.
    [two] متوسط استخدام كل شهر، بوحدة { $unit }؛ شهران.
    [few] متوسط استخدام كل شهر، بوحدة { $unit }؛ { $count } أشهر.
    [many] متوسط استخدام كل شهر، بوحدة { $unit }؛ { $count } شهرًا.
   *[other] متوسط استخدام كل شهر، بوحدة { $unit }؛ { $count } شهر.
}
page-no-data = لم يُسجَّل أي استخدام بعد.
page-show-numbers = إظهار الأرقام
page-day = اليوم
page-month = الشهر
page-average = المتوسط
page-admin-title = حساب التخزين
page-connection = اتصال واجهة API
page-connection-ok = متصل بـ { $server }.
page-connection-failed = غير متصل: { $error }
page-account = الحساب
page-enabled = مفعّل
page-product = المنتج
page-group = المجموعة
page-email = البريد الإلكتروني
page-limit-policy = سياسة الحد
page-limit-policy-usage = حسب الاستخدام
page-limit-policy-standard = قياسية (عيّنها مسؤول)
page-limit-policy-limited = مقيّدة (عيّنها مسؤول)
page-disk-usage = استخدام القرص
page-actions = الإجراءات
page-no-actions = لا يوجد إجراء ممكن في هذه الحالة.
page-status-creating = قيد الإنشاء
page-status-active = نشط
page-status-suspended = معلّق
page-status-terminating = قيد الإنهاء
page-status-terminated = منتهٍ
page-status-failed = فشل الإنشاء
page-action-suspend = تعليق
page-action-unsuspend = إلغاء التعليق
page-action-terminate = إنهاء
page-action-change-password = تغيير كلمة المرور
page-action-change-plan = تغيير الباقة
page-action-update-policy = تحديث السياسة
page-action-set-standard-policy = تعيين السياسة القياسية
page-action-set-limited-policy = تعيين السياسة المقيّدة
page-new-product = الباقة الجديدة
page-confirm-terminate = نعم، احذف الحساب وبياناته
page-action-done = تم: { $action }.
page-action-failed = فشل الإجراء: { $error }
page-new-password = كلمة المرور الجديدة (تظهر مرة واحدة):
page-refused-title = لا يمكن عرض هذه الصفحة
page-error-title = لا يمكن عرض الصفحة الآن
page-refused-invalid = الرابط غير صالح. افتح الصفحة مجددًا من منطقة العميل.
page-refused-expired = انتهت صلاحية الرابط. افتح الصفحة مجددًا من منطقة العميل.
page-refused-wrong-service = أُنشئ الرابط لخدمة أخرى.
page-refused-wrong-role = أُنشئ الرابط لصفحة أخرى.
page-refused-not-found = لا توجد صفحة كهذه.
page-refused-not-configured = الصفحات غير مُعدّة على هذا الخادم.
page-refused-cross-site = جاء الطلب من موقع آخر فرُفض.
page-refused-action = هذا الإجراء غير ممكن للخدمة الآن.
