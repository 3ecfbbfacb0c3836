# Normalization phase 2 (Data Cube §10.2): values attached to a data set, slice or measure
# property are stated again on each observation they apply to
PREFIX qb: <http://purl.org/linked-data/cube#>
INSERT { ?obs ?component ?value } WHERE {
  ?spec qb:componentProperty ?component ; qb:componentAttachment qb:DataSet .
  ?ds qb:structure/qb:component ?spec ; ?component ?value .
  ?obs qb:dataSet ?ds .
} ;
INSERT { ?obs ?component ?value } WHERE {
  ?spec qb:componentProperty ?component ; qb:componentAttachment qb:Slice .
  ?ds qb:structure/qb:component ?spec ; qb:slice ?slice .
  ?slice ?component ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?dimension ?value } WHERE {
  ?slice qb:sliceStructure/qb:componentProperty ?dimension ; ?dimension ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?component ?value } WHERE {
  ?spec qb:componentProperty ?component ; qb:componentAttachment qb:MeasureProperty .
  ?ds qb:structure/qb:component ?spec .
  ?ds qb:structure/qb:component/qb:componentProperty ?measure .
  ?measure a qb:MeasureProperty ; ?component ?value .
  ?obs qb:dataSet ?ds ; ?measure [] .
}
