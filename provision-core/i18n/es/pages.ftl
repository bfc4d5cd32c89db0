# The texts of the client-area and admin-area pages (es, Español); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Copiar
page-copied = Copiado
page-yes = Sí
page-no = No
page-back = Volver
page-not-measured = Aún no medido
page-unlimited = Ilimitado
page-limit = Límite
page-used = Usado
page-free = Libre
page-used-percent = Usado %
page-free-percent = Libre %
page-username = Nombre de usuario
page-status = Estado
page-client-title = Su almacenamiento
page-access = Acceso
page-web-address = Interfaz web
page-password = Contraseña
page-password-show = Mostrar contraseña
page-password-elsewhere = Solo se muestra en su área de cliente.
page-instructions = Instrucciones
page-space = Espacio en disco
page-pie-title = Espacio usado y libre
page-pie-desc = { $used } de { $limit } usados ({ $percent }); { $free } libres.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Tamaño
page-bucket-objects = Objetos
page-no-buckets = Todavía no hay buckets.
page-buckets-note = Tamaños según la última medición del servidor.
page-statistics = Estadísticas del espacio usado
page-time-zone = Días y meses en la zona horaria { $zone }.
page-daily-title = { $days ->
    [one] Uso diario, último día
    [many] Uso diario, últimos { $days } días
   *[other] Uso diario, últimos { $days } días
}
page-daily-desc = { $count ->
    [one] El uso máximo de cada día, en { $unit }; un día tiene datos.
    [many] El uso máximo de cada día, en { $unit }; { $count } días tienen datos.
   *[other] El uso máximo de cada día, en { $unit }; { $count } días tienen datos.
}
page-monthly-title = Uso medio por mes
page-monthly-desc = { $count ->
    [one] El uso medio de cada mes, en { $unit }; un mes.
    [many] El uso medio de cada mes, en { $unit }; { $count } meses.
   *[other] El uso medio de cada mes, en { $unit }; { $count } meses.
}
page-no-data = Todavía no se ha registrado ningún uso.
page-show-numbers = Mostrar las cifras
page-day = Día
page-month = Mes
page-average = Media
page-admin-title = Cuenta de almacenamiento
page-connection = Conexión API
page-connection-ok = Conectado a { $server }.
page-connection-failed = Sin conexión: { $error }
page-account = Cuenta
page-enabled = Activada
page-product = Producto
page-group = Grupo
page-email = Correo electrónico
page-limit-policy = Política de límite
page-limit-policy-usage = Según el uso
page-limit-policy-standard = Estándar (fijada por un administrador)
page-limit-policy-limited = Limitada (fijada por un administrador)
page-disk-usage = Uso del disco
page-actions = Acciones
page-no-actions = No hay ninguna acción posible en este estado.
page-status-creating = En creación
page-status-active = Activo
page-status-suspended = Suspendido
page-status-terminating = En baja
page-status-terminated = Dado de baja
page-status-failed = Falló la creación
page-action-suspend = Suspender
page-action-unsuspend = Reactivar
page-action-terminate = Dar de baja
page-action-change-password = Cambiar contraseña
page-action-change-plan = Cambiar de paquete
page-action-update-policy = Actualizar política
page-action-set-standard-policy = Aplicar política estándar
page-action-set-limited-policy = Aplicar política limitada
page-new-product = Nuevo paquete
page-confirm-terminate = Sí, eliminar la cuenta y sus datos
page-action-done = Hecho: { $action }.
page-action-failed = La acción falló: { $error }
page-new-password = La nueva contraseña (se muestra una vez):
page-refused-title = Esta página no se puede mostrar
page-error-title = La página no se puede mostrar ahora
page-refused-invalid = El enlace no es válido. Abra la página de nuevo desde el área de cliente.
page-refused-expired = El enlace ha caducado. Abra la página de nuevo desde el área de cliente.
page-refused-wrong-service = El enlace se creó para otro servicio.
page-refused-wrong-role = El enlace se creó para otra página.
page-refused-not-found = Esa página no existe.
page-refused-not-configured = Las páginas no están configuradas en este servidor.
page-refused-cross-site = La solicitud venía de otro sitio y se rechazó.
page-refused-action = Esta acción no es posible para el servicio ahora.
