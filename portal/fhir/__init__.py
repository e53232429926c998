"""Da Vinci Prior Authorization Support (PAS): our one module for FHIR (STYLE: integrations).

parsing: request Bundle -> validated R4B models with references resolved;
mapping: PAS Claim -> the data the intake services take; responses: ClaimResponse,
OperationOutcome and CapabilityStatement; services: $submit and $inquire; views: HTTP.
"""
