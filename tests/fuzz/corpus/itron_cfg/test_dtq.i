# 0 "test_dtq.cfg"
# 1 "test_dtq.cfg"
# 1 "test_dtq.h" 1
# 3 "test_dtq.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_dtq.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_dtq.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_dtq.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_dtq.cfg"
                                                                   });
CRE_DTQ(DTQ1, { 0x00U, 2, 
# 6 "test_dtq.cfg" 3 4
                            ((void *)0) 
# 6 "test_dtq.cfg"
                                 });
CRE_DTQ(DTQ2, { 0x00U, 0, 
# 7 "test_dtq.cfg" 3 4
                            ((void *)0) 
# 7 "test_dtq.cfg"
                                 });
CRE_ALM(ALM1, { 0U, 1, alm1 });
