"""UM analytics and the CMS-0057-F report read other apps' data; no models of their own yet."""
