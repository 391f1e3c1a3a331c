// Manage Immuta's Amazon S3 data sources as code.
package immuta
