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
        'DefaultNonSSLPort' => (string) ProvisionApiClient::DEFAULT_PORT,
        'DefaultSSLPort' => (string) ProvisionApiClient::DEFAULT_SECURE_PORT,
    ];
}

/**
 * The product's module settings (configoption1..18, in this order). With "Disk size"
 * set, the WHMCS product is the provision product: its settings are sent to
 * `PUT /v1/products/{name}` before each create and package change, and provision
 * keeps them in its ledger for the daily sweep and the pages. With "Disk size" empty,
 * "Product" names a `[products.NAME]` of provision.toml, and settings 8 to 18 are not
 * used.
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
            'Description' => 'With Disk size empty: the product\'s name in provision.toml ([products.NAME]). With Disk size set: the name provision keeps these settings under (empty: whmcs-PRODUCTID)',
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
        'Disk size' => [
            'Type' => 'text',
            'Size' => '10',
            'Description' => 'The quota in the unit below (0 = unlimited). Empty: the provision.toml product named above',
            'SimpleMode' => true,
        ],
        'Unit' => [
            'Type' => 'dropdown',
            'Options' => 'MB,GB,TB,PB',
            'Default' => 'GB',
            'Description' => 'Of the disk size; notifications show the quota in it',
            'SimpleMode' => true,
        ],
        'Notify at %' => [
            'Type' => 'text',
            'Size' => '5',
            'Default' => '90',
            'Description' => 'The share of the quota at which the customer is mailed (0 = no notifications)',
        ],
        'Group or plan' => [
            'Type' => 'text',
            'Size' => '30',
            'Description' => 'Nextcloud or Synology groups the account joins, comma-separated (a Synology plan group carries its quota)',
        ],
        'History days' => [
            'Type' => 'text',
            'Size' => '5',
            'Default' => '30',
            'Description' => 'How many days of daily usage the pages show',
        ],
        'Instructions link' => [
            'Type' => 'text',
            'Size' => '40',
            'Description' => 'https://... of your instructions for customers, shown on the client page (empty: none)',
        ],
        'Password display' => [
            'Type' => 'dropdown',
            'Options' => 'button,plain,hidden',
            'Default' => 'button',
            'Description' => 'How the client page shows the password: behind a button, as text, or not at all',
        ],
        'User name rule' => [
            'Type' => 'text',
            'Size' => '30',
            'Default' => 'c{client_id}s{service_id}',
            'Description' => 'How account names are made: {client_id}, {service_id}, {random_digit_4}, {random_letter_3}, ...',
        ],
        'Password rule' => [
            'Type' => 'text',
            'Size' => '30',
            'Default' => '16',
            'Description' => 'A length, or length:alphabet (16:abcdefABCDEF0123!%)',
        ],
        'MinIO: default bucket' => [
            'Type' => 'dropdown',
            'Options' => 'server setting,yes,no',
            'Default' => 'server setting',
            'Description' => 'Whether a bucket is made with each MinIO account (server setting: default_bucket of [servers.NAME])',
        ],
        'MinIO: standard policy' => [
            'Type' => 'textarea',
            'Rows' => '4',
            'Cols' => '60',
            'Description' => 'A policy template (JSON, with {{user}} and {{namespace}}) for accounts under their limit; it must stay inside the account\'s buckets. Empty: the server\'s',
        ],
        'MinIO: limited policy' => [
            'Type' => 'textarea',
            'Rows' => '4',
            'Cols' => '60',
            'Description' => 'The policy template for accounts past their limit (writes are denied whatever it says). Empty: the server\'s',
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
