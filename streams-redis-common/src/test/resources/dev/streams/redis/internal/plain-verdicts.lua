-- Test helper: the verdict of the fast path alone, surely_plain_document, on each ARGV, 1 (sure) or 0.
local surely_plain_document = plain_document_checker()
local verdicts = {}
for i = 1, #ARGV do
  verdicts[i] = surely_plain_document(ARGV[i]) and 1 or 0
end
return verdicts
