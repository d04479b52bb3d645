/**
 * Words the synthetic catalogue is built from, so generated items read like a grocery shelf
 * ("Alpenhof Greek Yogurt 500g") rather than "item 4711". `priceLevel` is the category's typical
 * unit price; the generator spreads prices log-normally around it.
 */
export interface CategoryVocabulary {
  name: string;
  priceLevel: number;
  products: string[];
  sizes: string[];
}

export const categoryVocabulary: CategoryVocabulary[] = [
  { name: 'Dairy', priceLevel: 2.2, products: ['Greek Yogurt', 'Whole Milk', 'Skimmed Milk', 'Mature Cheddar', 'Butter', 'Cream Cheese', 'Mozzarella', 'Kefir', 'Skyr', 'Cottage Cheese', 'Oat Drink', 'Soy Drink'], sizes: ['500g', '1L', '250g', '150g', '2L', '400g'] },
  { name: 'Bakery', priceLevel: 2.0, products: ['Sourdough Loaf', 'Wholemeal Bread', 'Croissants', 'Bagels', 'Rye Bread', 'Brioche', 'Pitta Bread', 'Tortilla Wraps', 'Cinnamon Buns', 'Baguette'], sizes: ['400g', '800g', '4 pack', '6 pack', '300g'] },
  { name: 'Produce', priceLevel: 1.6, products: ['Bananas', 'Gala Apples', 'Avocados', 'Baby Spinach', 'Cherry Tomatoes', 'Carrots', 'Red Onions', 'Blueberries', 'Lemons', 'Broccoli', 'Sweet Potatoes', 'Cucumber'], sizes: ['1kg', '500g', 'pack of 4', '250g', 'each', '750g'] },
  { name: 'Breakfast', priceLevel: 3.0, products: ['Organic Oats', 'Granola', 'Corn Flakes', 'Muesli', 'Porridge Pots', 'Honey', 'Strawberry Jam', 'Peanut Butter', 'Maple Syrup', 'Bran Flakes'], sizes: ['500g', '1kg', '750g', '340g', '375g'] },
  { name: 'Coffee & Tea', priceLevel: 4.5, products: ['Ground Coffee', 'Coffee Beans', 'Instant Coffee', 'Green Tea', 'Earl Grey', 'Peppermint Tea', 'Chai Latte', 'Espresso Pods', 'Rooibos'], sizes: ['250g', '500g', '1kg', '40 bags', '80 bags', '10 pods'] },
  { name: 'Snacks', priceLevel: 2.0, products: ['Sea Salt Crisps', 'Tortilla Chips', 'Salted Popcorn', 'Dark Chocolate', 'Milk Chocolate', 'Trail Mix', 'Rice Cakes', 'Pretzels', 'Oat Bars', 'Roasted Almonds'], sizes: ['150g', '200g', '100g', '6 pack', '300g'] },
  { name: 'Beverages', priceLevel: 1.8, products: ['Sparkling Water', 'Orange Juice', 'Apple Juice', 'Cola', 'Lemonade', 'Iced Tea', 'Kombucha', 'Coconut Water', 'Ginger Beer'], sizes: ['1L', '1.5L', '6 x 330ml', '750ml', '2L'] },
  { name: 'Pantry', priceLevel: 1.9, products: ['Spaghetti', 'Penne', 'Basmati Rice', 'Chopped Tomatoes', 'Chickpeas', 'Olive Oil', 'Red Lentils', 'Coconut Milk', 'Tomato Passata', 'Couscous', 'Stock Cubes'], sizes: ['500g', '1kg', '400g', '500ml', '1L'] },
  { name: 'Meat', priceLevel: 5.5, products: ['Chicken Breast', 'Beef Mince', 'Pork Sausages', 'Smoked Bacon', 'Lamb Chops', 'Turkey Slices', 'Chicken Thighs', 'Beef Steak'], sizes: ['500g', '400g', '300g', '1kg', '6 pack'] },
  { name: 'Seafood', priceLevel: 6.0, products: ['Salmon Fillets', 'Cod Loins', 'King Prawns', 'Tuna Steaks', 'Smoked Mackerel', 'Fish Fingers'], sizes: ['240g', '300g', '400g', '180g'] },
  { name: 'Frozen', priceLevel: 3.0, products: ['Garden Peas', 'Margherita Pizza', 'Vanilla Ice Cream', 'Oven Chips', 'Mixed Berries', 'Veggie Burgers', 'Sweetcorn', 'Fish Pie'], sizes: ['1kg', '500g', '400g', '900ml', '4 pack'] },
  { name: 'Deli', priceLevel: 3.5, products: ['Hummus', 'Olives', 'Salami', 'Serrano Ham', 'Pesto', 'Feta', 'Falafel', 'Coleslaw', 'Tzatziki'], sizes: ['200g', '150g', '100g', '250g'] },
  { name: 'Household', priceLevel: 3.2, products: ['Washing Up Liquid', 'Laundry Gel', 'Kitchen Roll', 'Bin Bags', 'Surface Spray', 'Dishwasher Tablets', 'Toilet Tissue', 'Sponges'], sizes: ['500ml', '1L', '4 rolls', '9 rolls', '30 pack', '20 pack'] },
  { name: 'Personal Care', priceLevel: 3.4, products: ['Shampoo', 'Conditioner', 'Toothpaste', 'Shower Gel', 'Deodorant', 'Hand Soap', 'Body Lotion', 'Razors'], sizes: ['250ml', '400ml', '75ml', '150ml', '4 pack'] },
  { name: 'Baby', priceLevel: 5.0, products: ['Nappies', 'Baby Wipes', 'Baby Porridge', 'Fruit Pouches', 'Baby Shampoo', 'Teething Rusks'], sizes: ['size 3', 'size 4', '64 pack', '4 pack', '200ml'] },
  { name: 'Pet', priceLevel: 4.0, products: ['Dog Food', 'Cat Food', 'Dog Treats', 'Cat Litter', 'Bird Seed', 'Chew Sticks'], sizes: ['2kg', '12 x 100g', '500g', '10L', '1kg'] },
  { name: 'Wine & Beer', priceLevel: 7.0, products: ['Pale Ale', 'Lager', 'Rioja', 'Sauvignon Blanc', 'Prosecco', 'Pinot Noir', 'Cider', 'Stout'], sizes: ['4 x 440ml', '75cl', '6 x 330ml', '500ml'] },
  { name: 'World Foods', priceLevel: 2.4, products: ['Soy Sauce', 'Curry Paste', 'Rice Noodles', 'Salsa', 'Kimchi', 'Miso Paste', 'Taco Kit', 'Sriracha', 'Naan Bread'], sizes: ['150ml', '200g', '300g', '400g', '250g'] },
  { name: 'Health', priceLevel: 6.0, products: ['Vitamin C', 'Multivitamins', 'Protein Powder', 'Omega-3 Capsules', 'Electrolyte Tabs', 'Vitamin D'], sizes: ['30 tablets', '60 capsules', '500g', '20 tabs', '90 tablets'] },
  { name: 'Bakery Sweet', priceLevel: 2.6, products: ['Chocolate Muffins', 'Lemon Drizzle Cake', 'Shortbread', 'Digestive Biscuits', 'Flapjacks', 'Doughnuts', 'Carrot Cake'], sizes: ['4 pack', '300g', '200g', '6 pack', '400g'] },
];

export const brandWords: string[] = [
  'Alpenhof', 'Greenfield', 'Northwind', 'Harvest Moon', 'Blue Harbour', 'Oakridge', 'Sunny Vale', 'Riverside',
  'Maple & Co', 'Old Mill', 'Golden Acre', 'Wildflower', 'Clearwater', 'Hilltop', 'Silver Birch', 'Fernwood',
  'Brightside', 'Copperkettle', 'Meadowlark', 'Stonebridge', 'Little Orchard', 'Tidewater', 'Redwood', 'Evergreen',
];

export const regionNames: string[] = ['North', 'South', 'East', 'West', 'Central', 'Coast'];

export const townNames: string[] = [
  'Ashford', 'Bramley', 'Carlton', 'Dunmore', 'Elmstead', 'Fairhaven', 'Glenbrook', 'Harwich', 'Ivybridge', 'Kingsley',
  'Langford', 'Marston', 'Newbury', 'Oakham', 'Penrith', 'Quarry Bank', 'Redhill', 'Stanton', 'Thornbury', 'Upton',
];
