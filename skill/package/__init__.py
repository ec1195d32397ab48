"""The ASK CLI skill package (skill-package/): manifest, interaction models and icons, generated from
the project's own sources by `backcoach package`, so nothing in it is ever edited by hand."""
