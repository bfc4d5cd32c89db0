<?php
/**
 * The module's texts in the client area (WHMCS merges a server module's
 * lang/<language>.php into $_LANG). The pages themselves come from provision serve,
 * in the client's language.
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

$_LANG['provision_title'] = 'Your storage';
$_LANG['provision_unavailable'] = 'The storage details cannot be shown right now.';
$_LANG['provision_frame_title'] = 'Storage account: usage, access and instructions';
