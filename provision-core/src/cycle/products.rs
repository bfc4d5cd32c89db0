//! The products a cycle sells: those of the configuration file, and those the billing
//! system defines over the service (a WHMCS product's module settings), which the
//! ledger keeps so that every process reading it builds the same product.
//!
//! A product of the configuration file cannot be changed over the service: the file
//! is the operator's, and a second source of truth for one name would make the sweep
//! and the orders disagree. Products defined over the service are read from the ledger
//! on every order (one point read), so a change made through one process is the next
//! order's product in every other process too.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::BillingCycle;
use crate::config::{check_product_name, ConfigError, ProductSettings};
use crate::error::Result;
use crate::ledger::{LedgerError, ProductRecord};
use crate::provider::Plan;
use crate::provisioner::ProductConfig;
use crate::quota::Quota;

/// Where a product is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProductSource {
    /// `[products.NAME]` of the configuration file (or added in code).
    Configuration,
    /// Defined over the service and kept in the ledger.
    Ledger,
}

impl ProductSource {
    /// `configuration` or `ledger`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductSource::Configuration => "configuration",
            ProductSource::Ledger => "ledger",
        }
    }
}

/// A product as the cycle sells it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProductEntry {
    /// Its name.
    pub name: String,
    /// Where it is defined.
    pub source: ProductSource,
    /// The product, checked.
    pub config: ProductConfig,
    /// The settings it was defined with, for a product defined over the service.
    pub settings: Option<ProductSettings>,
    /// When it was last defined, for a product defined over the service.
    pub updated_at: Option<DateTime<Utc>>,
}

/// What [`BillingCycle::define_product`] did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DefinedProduct {
    /// The product as it is now.
    pub product: ProductEntry,
    /// True when no product of this name existed before.
    pub created: bool,
}

fn entry_of(record: ProductRecord) -> Result<ProductEntry> {
    let settings: ProductSettings =
        serde_json::from_str(&record.settings).map_err(|_| LedgerError::Corrupt {
            what: "product settings",
            value: record.name.clone(),
        })?;
    let config = settings
        .clone()
        .into_product(&format!("products.{}", record.name))?;
    Ok(ProductEntry {
        name: record.name,
        source: ProductSource::Ledger,
        config,
        settings: Some(settings),
        updated_at: Some(record.updated_at),
    })
}

/// A product of the configuration file as an entry.
fn configured(name: &str, config: &ProductConfig) -> ProductEntry {
    ProductEntry {
        name: name.to_string(),
        source: ProductSource::Configuration,
        config: config.clone(),
        settings: None,
        updated_at: None,
    }
}

/// The plan a limit switch puts in force for a service of `product`. A product that is
/// no longer sold leaves the server's own documents: the switch must still happen.
pub(super) fn switch_plan(product: Option<&ProductConfig>) -> Plan {
    product.map_or_else(|| Plan::new(Quota::Unlimited), ProductConfig::plan)
}

impl BillingCycle {
    /// A product by name: the configuration's, else the one defined over the service.
    pub async fn product(&self, name: &str) -> Result<ProductConfig> {
        Ok(self.product_entry(name).await?.config)
    }

    /// A product by name, or None when neither the configuration nor the ledger has it.
    pub async fn find_product(&self, name: &str) -> Result<Option<ProductConfig>> {
        Ok(self.find_entry(name).await?.map(|entry| entry.config))
    }

    /// A product by name with where it is defined.
    pub async fn product_entry(&self, name: &str) -> Result<ProductEntry> {
        self.find_entry(name)
            .await?
            .ok_or_else(|| LedgerError::UnknownProduct(name.to_string()).into())
    }

    async fn find_entry(&self, name: &str) -> Result<Option<ProductEntry>> {
        if let Some(config) = self.products.get(name) {
            return Ok(Some(configured(name, config)));
        }
        self.ledger.product(name).await?.map(entry_of).transpose()
    }

    /// Every product, by name. A ledger product whose name the configuration has since
    /// taken is shadowed by the configuration's.
    pub async fn products(&self) -> Result<Vec<ProductEntry>> {
        let mut all: BTreeMap<String, ProductEntry> = self
            .products
            .iter()
            .map(|(name, config)| (name.clone(), configured(name, config)))
            .collect();
        for record in self.ledger.products().await? {
            if !all.contains_key(&record.name) {
                all.insert(record.name.clone(), entry_of(record)?);
            }
        }
        Ok(all.into_values().collect())
    }

    /// The plan of a service's product for a limit switch ([`switch_plan`]).
    pub(super) async fn plan_of(&self, name: &str) -> Result<Plan> {
        Ok(switch_plan(self.find_product(name).await?.as_ref()))
    }

    /// Every product's configuration by name, for a sweep or a delivery (one ledger
    /// read).
    pub async fn product_configs(&self) -> Result<BTreeMap<String, ProductConfig>> {
        Ok(self
            .products()
            .await?
            .into_iter()
            .map(|entry| (entry.name, entry.config))
            .collect())
    }

    /// Defines a product over the service, or replaces the settings of one defined so.
    /// The name and every setting are checked before anything is written (errors name
    /// the field, `products.NAME.notify_at`); a name of the configuration file is
    /// refused ([`LedgerError::ProductInConfiguration`]).
    ///
    /// Services already on the product keep the quota and groups their account has
    /// until their next change-plan; the sweeps and the pages use the new settings
    /// from now on.
    pub async fn define_product(
        &self,
        name: &str,
        settings: ProductSettings,
        now: DateTime<Utc>,
    ) -> Result<DefinedProduct> {
        check_product_name(name)?;
        if self.products.contains_key(name) {
            return Err(LedgerError::ProductInConfiguration(name.to_string()).into());
        }
        let config = settings.clone().into_product(&format!("products.{name}"))?;
        // Every server may sell it: each backend checks what the plan asks of it (MinIO
        // renders the product's own policy documents) before anything is kept. Each
        // document is checked on its own, so that a refusal names the one at fault.
        let plan = config.plan();
        let mut standard_only = plan.clone();
        standard_only.minio.limited_policy = None;
        let mut limited_only = plan.clone();
        limited_only.minio.standard_policy = None;
        for (server, provider) in &self.servers {
            for (field, checked) in [
                ("standard_policy", &standard_only),
                ("limited_policy", &limited_only),
            ] {
                provider.check_plan(checked).map_err(|e| {
                    ConfigError::new(
                        format!("products.{name}.minio.{field}"),
                        format!("refused by server {server}: {e}"),
                    )
                })?;
            }
        }
        let text = serde_json::to_string(&settings).map_err(|e| {
            LedgerError::database("writing a product's settings as JSON", Box::new(e))
        })?;
        let created = self.ledger.product(name).await?.is_none();
        self.ledger
            .put_product(&ProductRecord {
                name: name.to_string(),
                settings: text,
                updated_at: now,
            })
            .await?;
        Ok(DefinedProduct {
            product: ProductEntry {
                name: name.to_string(),
                source: ProductSource::Ledger,
                config,
                settings: Some(settings),
                updated_at: Some(now),
            },
            created,
        })
    }
}
