<?php
declare(strict_types=1);

require __DIR__ . '/whmcs_standins.php';
require __DIR__ . '/ProvisionServeFixture.php';
require dirname(__DIR__) . '/modules/servers/provision/provision.php';
require dirname(__DIR__) . '/modules/servers/provision/hooks.php';
