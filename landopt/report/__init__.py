"""Reports: tables a resource bureau can file, in Chinese or English."""
