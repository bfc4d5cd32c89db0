<?php
/**
 * provision: one open WHMCS server module for Nextcloud, Synology DSM and MinIO
 * storage accounts, on top of `provision serve` (see integrations/whmcs/README.md).
 *
 * Every function takes the parameter array WHMCS passes and answers as WHMCS
 * expects: "success" or the error message to show. The work is in lib/Module.php.
 */

declare(strict_types=1);

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once __DIR__ . '/lib/Module.php';

function provision_MetaData(): array
{
    return [
        'DisplayName' => 'provision (Nextcloud, Synology DSM, MinIO)',
        'APIVersion' => '1.1',
        'RequiresServer' => true,
        'DefaultNonSSLPort' => '8080',
        'DefaultSSLPort' => '8443',
    ];
}

/**
 * The product's module settings (configoption1..6, in this order). What the account
 * gets — quota and unit, plan groups, notify-at share, MinIO policies and default
 * bucket, history days, how the password is shown, the instructions link — is the
 * provision product's `[products.NAME]` in provision.toml, the one place the daily
 * sweep and the pages read it from.
 */
function provision_ConfigOptions(): array
{
    return [
        'Storage server' => [
            'Type' => 'text',
            'Size' => '25',
            'Description' => 'The server\'s name in provision.toml ([servers.NAME])',
            'SimpleMode' => true,
        ],
        'Product' => [
            'Type' => 'text',
            'Size' => '25',
            'Description' => 'The product\'s name in provision.toml ([products.NAME]): quota, unit, plan groups, notify-at %, MinIO policies and default bucket, history days, password display, instructions link',
            'SimpleMode' => true,
        ],
        'Pages address for browsers' => [
            'Type' => 'text',
            'Size' => '40',
            'Description' => 'https://... where browsers reach provision serve: the pages show in an iframe. Empty: WHMCS fetches them and embeds them',
        ],
        'E-mail: near the limit' => [
            'Type' => 'text',
            'Size' => '30',
            'Description' => 'Product e-mail template sent when usage reaches the notify-at share (empty: none)',
        ],
        'E-mail: limit exceeded' => [
            'Type' => 'text',
            'Size' => '30',
            'Description' => 'Product e-mail template sent when the account passes its limit (empty: none)',
        ],
        'E-mail: back under the limit' => [
            'Type' => 'text',
            'Size' => '30',
            'Description' => 'Product e-mail template sent when the account is back under its limit (empty: none)',
        ],
    ];
}

function provision_TestConnection(array $params): array
{
    return ProvisionModule::testConnection($params);
}

function provision_CreateAccount(array $params): string
{
    return ProvisionModule::create($params);
}

function provision_SuspendAccount(array $params): string
{
    return ProvisionModule::status($params, 'suspend');
}

function provision_UnsuspendAccount(array $params): string
{
    return ProvisionModule::status($params, 'unsuspend');
}

function provision_TerminateAccount(array $params): string
{
    return ProvisionModule::status($params, 'terminate');
}

function provision_ChangePassword(array $params): string
{
    return ProvisionModule::changePassword($params);
}

function provision_ChangePackage(array $params): string
{
    return ProvisionModule::changePackage($params);
}

function provision_UsageUpdate(array $params): string
{
    return ProvisionModule::usageUpdate($params);
}

function provision_ClientArea(array $params): array
{
    return ProvisionModule::clientArea($params);
}

function provision_AdminServicesTabFields(array $params): array
{
    return ProvisionModule::adminTab($params);
}

/** The MinIO limit-policy buttons (not shown for a server known to be another backend). */
function provision_AdminCustomButtonArray(array $params = []): array
{
    if (!ProvisionModule::offersPolicyButtons($params)) {
        return [];
    }
    return [
        'Update policy' => 'policyUpdate',
        'Set standard policy' => 'policyStandard',
        'Set limited policy' => 'policyLimited',
    ];
}

/** The policy follows the usage again. */
function provision_policyUpdate(array $params): string
{
    return ProvisionModule::policy($params, 'usage');
}

/** Held on the standard policy until "Update policy". */
function provision_policyStandard(array $params): string
{
    return ProvisionModule::policy($params, 'standard');
}

/** Held on the limited policy until "Update policy". */
function provision_policyLimited(array $params): string
{
    return ProvisionModule::policy($params, 'limited');
}
