/**
 * How people ask a dealership's assistant things, whatever the dealership: the phrasing the
 * recogniser's language model needs around the dealership's own words (which come from its
 * documents). Written once here; the benchmark's questions are separate sentences.
 */
export const QUESTION_FRAMES = `
what is the price of the. how much is the. how much does the cost. how much does it cost.
what does the cover. what does the warranty cover. what is covered by the. is the covered.
do you have the in stock. how many are in stock. is there a in stock. which models do you have.
what is the difference between the and the. which trim has. does the come with. does it have.
what are the options for. what colors does the come in. what engine does the have.
how long is the warranty. how long does the last. how many miles. how many years.
what is the apr for. what is the interest rate. what are the financing options. can i lease the.
what is the down payment. what is the monthly payment. do you offer financing. what credit score do i need.
is there a loaner car. can i get a loaner. how often should i. when should i change the oil.
how do i book a service appointment. what are your opening hours. where is the dealership.
what is the towing capacity of the. what is the range of the. how fast does it charge.
is the all wheel drive. is it front wheel drive. does the have a hybrid. is there an electric.
tell me about the. can you tell me about the. i want to know about the. i would like to buy a.
what is the msrp of the. what is the destination fee. are there any discounts. is there a rebate.
can i trade in my car. what is my car worth. do you buy used cars. what about the.
yes. no. thank you. please. okay. hello. hi. stop. repeat that. say that again.
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
sixty seventy eighty ninety hundred thousand dollars percent months miles year years.
the a an and or of for to in on with at by from about is are was be it this that these those
i you we they my your our can could would should will do does did have has what which who how
when where why there here not any some more most less much many all each every other than
`;
