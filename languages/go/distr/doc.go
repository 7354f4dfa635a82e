// Manage Distr license management as code: customers, application and artifact licenses (entitlements), license keys and license templates.
package distr
