<?php
/**
 * The few parts of WHMCS the module calls, stood in for the tests: the Capsule query
 * builder over in-memory tables (where, whereIn, get, first, update, insert — the
 * calls the module makes), logModuleCall (recording what it received, and the log as
 * WHMCS would store it with the values to hide replaced), localAPI
 * (UpdateClientProduct, SendEmail, DecryptPassword), logActivity and add_hook.
 */

declare(strict_types=1);

namespace WHMCS\Database {
    final class Capsule
    {
        /** @var array<string, array<int, array<string, mixed>>> rows by table and id */
        public static array $tables = [];

        public static function table(string $name): Query
        {
            return new Query($name);
        }

        public static function reset(): void
        {
            self::$tables = [];
        }

        public static function insert(string $table, array $row): void
        {
            self::$tables[$table][(int) $row['id']] = $row;
        }
    }

    final class Query
    {
        /** @var list<callable(array): bool> */
        private array $conditions = [];

        public function __construct(private readonly string $table)
        {
        }

        public function where(string $column, mixed $operatorOrValue, mixed $value = null): self
        {
            if (func_num_args() === 3 && $operatorOrValue !== '=') {
                throw new \LogicException("the stand-in has only '=' (asked: $operatorOrValue)");
            }
            $expected = func_num_args() === 3 ? $value : $operatorOrValue;
            $this->conditions[] = static fn (array $row): bool => (string) ($row[$column] ?? '') === (string) $expected;
            return $this;
        }

        public function whereIn(string $column, array $values): self
        {
            $wanted = array_map('strval', $values);
            $this->conditions[] = static fn (array $row): bool => in_array((string) ($row[$column] ?? ''), $wanted, true);
            return $this;
        }

        /** @return list<object> */
        public function get(): array
        {
            return array_map(static fn (array $row): object => (object) $row, array_values($this->matching()));
        }

        public function first(): ?object
        {
            $rows = $this->get();
            return $rows[0] ?? null;
        }

        public function update(array $values): int
        {
            $ids = array_keys($this->matching());
            foreach ($ids as $id) {
                Capsule::$tables[$this->table][$id] = array_merge(Capsule::$tables[$this->table][$id], $values);
            }
            return count($ids);
        }

        /** @return array<int, array<string, mixed>> */
        private function matching(): array
        {
            return array_filter(
                Capsule::$tables[$this->table] ?? [],
                fn (array $row): bool => array_reduce($this->conditions, static fn (bool $ok, callable $c): bool => $ok && $c($row), true),
            );
        }
    }
}

namespace {
    define('WHMCS', true);

    /** What the stand-ins saw. */
    final class WhmcsRecord
    {
        /** @var list<array{module: string, action: string, request: mixed, response: mixed, processed: mixed, replace: array}> */
        public static array $moduleCalls = [];
        /** @var list<string> the module log as WHMCS stores it */
        public static array $storedLog = [];
        /** @var list<array{command: string, values: array}> */
        public static array $api = [];
        /** @var list<string> */
        public static array $activity = [];
        /** @var array<string, list<callable>> */
        public static array $hooks = [];
        /** SendEmail answers an error while this is set. */
        public static ?string $sendEmailFails = null;

        public static function reset(): void
        {
            self::$moduleCalls = [];
            self::$storedLog = [];
            self::$api = [];
            self::$activity = [];
            self::$sendEmailFails = null;
        }
    }

    function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = []): void
    {
        WhmcsRecord::$moduleCalls[] = [
            'module' => $module,
            'action' => $action,
            'request' => $requestString,
            'response' => $responseData,
            'processed' => $processedData,
            'replace' => $replaceVars,
        ];
        // As WHMCS stores it: each value to hide replaced in the logged text.
        $text = implode("\n", array_map(
            static fn ($part): string => is_string($part) ? $part : (string) json_encode($part),
            [$requestString, $responseData, $processedData],
        ));
        foreach ($replaceVars as $secret) {
            $text = str_replace((string) $secret, str_repeat('*', strlen((string) $secret)), $text);
        }
        WhmcsRecord::$storedLog[] = $text;
    }

    function localAPI(string $command, array $values = [], ?string $adminUser = null): array
    {
        WhmcsRecord::$api[] = ['command' => $command, 'values' => $values];
        switch ($command) {
            case 'UpdateClientProduct':
                $update = [];
                if (isset($values['serviceusername'])) {
                    $update['username'] = $values['serviceusername'];
                }
                if (isset($values['servicepassword'])) {
                    $update['password'] = $values['servicepassword'];
                }
                $changed = \WHMCS\Database\Capsule::table('tblhosting')->where('id', $values['serviceid'])->update($update);
                return $changed === 1
                    ? ['result' => 'success', 'serviceid' => $values['serviceid']]
                    : ['result' => 'error', 'message' => 'Service ID Not Found'];
            case 'SendEmail':
                if (WhmcsRecord::$sendEmailFails !== null) {
                    return ['result' => 'error', 'message' => WhmcsRecord::$sendEmailFails];
                }
                return ['result' => 'success'];
            case 'DecryptPassword':
                return ['result' => 'success', 'password' => (string) $values['password2']];
        }
        return ['result' => 'error', 'message' => "the stand-in has no $command"];
    }

    function logActivity(string $message): void
    {
        WhmcsRecord::$activity[] = $message;
    }

    function add_hook(string $name, int $priority, callable $function): void
    {
        WhmcsRecord::$hooks[$name][] = $function;
    }
}
