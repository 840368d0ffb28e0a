-- Argo CD health check for every kind of zones.lingang.io (BusinessZone, ZoneTenant, DataLink,
-- EdgePool, EdgeAllocation, TenantStatus). The operator writes, on every kind, Ready (the summary),
-- Reconciling (working, or waiting for something that comes by itself) and Stalled (a person must
-- act), with status.observedGeneration. Install it as
--   resource.customizations.health.zones.lingang.io_<Kind>: |
--     <this file>
-- in argocd-cm (docs/ECOSYSTEM.md shows the whole snippet).
local hs = { status = "Progressing", message = "waiting for the operator's first reconcile" }

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "being deleted"
  return hs
end
if obj.status == nil or obj.status.observedGeneration == nil
    or (obj.metadata.generation ~= nil and obj.status.observedGeneration < obj.metadata.generation) then
  return hs
end

local stalled = condition("Stalled")
local reconciling = condition("Reconciling")
local ready = condition("Ready")
local suspended = condition("Suspended")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = (stalled.reason or "") .. ": " .. (stalled.message or "")
elseif reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = (reconciling.reason or "") .. ": " .. (reconciling.message or "")
elseif ready ~= nil and ready.status == "True" then
  if suspended ~= nil and suspended.status == "True" then
    hs.status = "Suspended"
    hs.message = (suspended.reason or "") .. ": " .. (suspended.message or "")
  else
    hs.status = "Healthy"
    hs.message = ready.message or ""
  end
elseif ready ~= nil then
  hs.status = "Degraded"
  hs.message = (ready.reason or "") .. ": " .. (ready.message or "")
end
return hs
